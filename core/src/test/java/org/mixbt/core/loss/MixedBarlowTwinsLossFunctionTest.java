package org.mixbt.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J adapter, driven the way DL4J drives it. The golden cases give the loss and its gradient with
 * respect to the raw projector outputs h (before F.normalize); a parameter-free graph
 * h → L2NormalizeVertex → this loss reproduces them, which checks the adapter's view layout, its N
 * scaling (DL4J divides score and gradient by N) and that DL4J's normalisation matches F.normalize.
 *
 * <p>Tolerance: 1e-9 relative to {@code max(|expected|, 1)}, as in {@link MixedBarlowTwinsLossTest}.
 */
class MixedBarlowTwinsLossFunctionTest {
  private static final double LAMBDA = 0.0078125;
  private static final double MIX_SCALE = 4.0;
  private static final String[] VIEWS = {"h_1", "h_2", "h_m"};
  private static final ActivationIdentity IDENTITY = new ActivationIdentity();

  @ParameterizedTest
  @ValueSource(strings = {"loss_cifar_mix_N8_d4.json", "loss_cifar_mix_N32_d16.json", "loss_cifar_plain_N8_d4.json"})
  void graphScoreAndInputGradientsMatchGolden(String file) {
    GoldenCase g = GoldenCase.load(file);
    boolean mixing = g.node("hyper/mix").asBoolean();
    int views = mixing ? 3 : 2;
    long n = g.shape("inputs/h_1")[0];
    ComputationGraph graph = lossGraph(views, (int) g.shape("inputs/h_1")[1], mixing);
    InputGradients grads = new InputGradients(views);
    graph.setListeners(grads);

    INDArray[] inputs = new INDArray[views];
    for (int v = 0; v < views; v++) {
      inputs[v] = g.array("inputs/" + VIEWS[v]);
    }
    graph.setInputs(inputs);
    graph.setLabels(goldenLabels(g, 17));
    graph.computeGradientAndScore();

    double total = g.scalar("outputs/total");
    assertEquals(total, graph.score(), 1e-9 * Math.max(Math.abs(total), 1), "score");
    for (int v = 0; v < views; v++) {
      INDArray expected = g.array("outputs/grad_" + VIEWS[v]).muli(n);
      assertClose(expected, grads.byView[v], "N x grad_" + VIEWS[v]);
    }
    StepTerms terms = lossOf(graph).lastTerms();
    assertEquals(17, terms.step());
    assertFalse(terms.skipped());
    assertEquals(g.scalar("outputs/loss_bt"), terms.lossBt(), 1e-9 * Math.max(g.scalar("outputs/loss_bt"), 1));
    assertEquals(g.scalar("outputs/loss_mix"), terms.lossMix(), 1e-9 * Math.max(g.scalar("outputs/loss_mix"), 1));
  }

  @Test
  void graphRejectsAMergedBatch() {
    GoldenCase g = GoldenCase.load("loss_cifar_mix_N8_d4.json");
    ComputationGraph graph = lossGraph(3, 4, true);
    INDArray[] h = {g.array("inputs/h_1"), g.array("inputs/h_2"), g.array("inputs/h_m")};
    MultiDataSet merged = MultiDataSet.merge(List.of(
        new MultiDataSet(h, new INDArray[] {goldenLabels(g, 1)}),
        new MultiDataSet(h, new INDArray[] {goldenLabels(g, 2)})));
    graph.setInputs(merged.getFeatures());
    graph.setLabels(merged.getLabels());

    IllegalStateException e = assertThrows(IllegalStateException.class, graph::computeGradientAndScore);

    assertTrue(e.getMessage().contains("view pairing broken"), e.getMessage());
  }

  @Test
  void scoreAndGradientOfOneStepComeFromOneEvaluation() {
    GoldenCase g = GoldenCase.load("loss_cifar_mix_N8_d4.json");
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, true, DegenerateBatchPolicy.FAIL);
    INDArray labels = goldenLabels(g, 3);
    INDArray pre = goldenPreOutput(g, true);

    INDArray gradient = loss.computeGradient(labels, pre, IDENTITY, null);
    StepTerms terms = loss.lastTerms();
    double score = loss.computeScore(labels, pre, IDENTITY, null, false);

    // the same StepTerms instance: computeScore did not evaluate the loss again
    assertSame(terms, loss.lastTerms());
    assertSame(gradient, loss.computeGradientAndScore(labels, pre, IDENTITY, null, false).getSecond());
    assertSame(terms, loss.lastTerms());
    assertEquals(8 * terms.total(), score, 1e-12);
    assertEquals(terms.total(), loss.computeScore(labels, pre, IDENTITY, null, true), 1e-12);

    // a new step (a new pre-output array, even with equal values) is evaluated afresh
    INDArray again = loss.computeGradient(labels, pre.dup(), IDENTITY, null);
    assertNotSame(terms, loss.lastTerms());
    assertNotSame(gradient, again);
    assertEquals(gradient, again);
  }

  @Test
  void gradientOfTheNormalisedEmbeddingsIsNTimesTheLossGradient() {
    GoldenCase g = GoldenCase.load("loss_cifar_mix_N8_d4.json");
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, true, DegenerateBatchPolicy.FAIL);

    INDArray gradient = loss.computeGradient(goldenLabels(g, 3), goldenPreOutput(g, true), IDENTITY, null);

    INDArray expected = Nd4j.hstack(g.array("outputs/grad_out_1"), g.array("outputs/grad_out_2"),
        g.array("outputs/grad_out_m")).muli(8);
    assertClose(expected, gradient, "N x grad_out");
    INDArray scores = loss.computeScoreArray(goldenLabels(g, 3), goldenPreOutput(g, true), IDENTITY, null);
    assertArrayEquals(new long[] {8, 1}, scores.shape());
    assertEquals(g.scalar("outputs/total"), scores.getDouble(5), 1e-9 * Math.max(g.scalar("outputs/total"), 1));
  }

  @Test
  void degenerateBatchFailsNamingStepViewAndColumn() {
    GoldenCase g = GoldenCase.load("loss_edge_constcol_N8_d4.json");
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, true, DegenerateBatchPolicy.FAIL);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> loss.computeGradient(goldenLabels(g, 42), goldenPreOutput(g, true), IDENTITY, null));

    assertEquals("Cannot train on step 42: Cannot standardise view1 for the Barlow Twins loss: zero or non-finite"
        + " std over N=8 rows: columns [2] (set mixbt.loss.on-degenerate-batch = skip to skip such steps)",
        e.getMessage());
    assertTrue(e.getCause() instanceof DegenerateBatchException);
  }

  @Test
  void degenerateBatchIsSkippedWithAZeroGradient() {
    GoldenCase g = GoldenCase.load("loss_edge_constcol_N8_d4.json");
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, true, DegenerateBatchPolicy.SKIP);
    INDArray pre = goldenPreOutput(g, true);

    INDArray gradient = loss.computeGradient(goldenLabels(g, 42), pre, IDENTITY, null);

    assertArrayEquals(pre.shape(), gradient.shape());
    assertEquals(0.0, gradient.amaxNumber().doubleValue());
    assertEquals(0.0, loss.computeScore(goldenLabels(g, 42), pre, IDENTITY, null, false));
    StepTerms terms = loss.lastTerms();
    assertTrue(terms.skipped());
    assertEquals(42, terms.step());
    assertEquals("step 42: Cannot standardise view1 for the Barlow Twins loss: zero or non-finite std over N=8"
        + " rows: columns [2]", terms.problem());
  }

  @Test
  void configurationWithTheLossSurvivesJson() {
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(0.005, 2.0, false, DegenerateBatchPolicy.SKIP);
    ComputationGraphConfiguration conf = lossConfiguration(2, 4, loss);

    String json = conf.toJson();
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);

    assertTrue(json.contains(MixedBarlowTwinsLossFunction.class.getName()), json);
    assertEquals(conf, back);
    LayerVertex vertex = (LayerVertex) back.getVertices().get("loss");
    assertEquals(loss, ((LossLayer) vertex.getLayerConf().getLayer()).getLossFn());
    assertEquals(json, back.toJson());
  }

  @Test
  void usedLossFunctionSerialisesLikeAFreshOne() throws IOException, ClassNotFoundException {
    GoldenCase g = GoldenCase.load("loss_cifar_mix_N8_d4.json");
    MixedBarlowTwinsLossFunction used = new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, true, DegenerateBatchPolicy.FAIL);
    used.computeGradient(goldenLabels(g, 3), goldenPreOutput(g, true), IDENTITY, null);
    MixedBarlowTwinsLossFunction fresh = new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, true, DegenerateBatchPolicy.FAIL);

    // JSON (DL4J ships configurations as JSON): no cached arrays or step terms
    assertEquals(lossConfiguration(3, 4, fresh).toJson(), lossConfiguration(3, 4, used).toJson());
    // Java serialisation (Spark closures): the caches are transient
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(used);
    }
    MixedBarlowTwinsLossFunction copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (MixedBarlowTwinsLossFunction) in.readObject();
    }
    assertEquals(fresh, copy);
    assertNull(copy.lastTerms());
  }

  /** Inputs h_1, h_2[, h_m] → stack → F.normalize → unstack → side by side → this loss; no parameters. */
  private static ComputationGraphConfiguration lossConfiguration(int views, int d, MixedBarlowTwinsLossFunction loss) {
    String[] inputs = java.util.Arrays.copyOf(VIEWS, views);
    ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(1).dataType(DataType.DOUBLE)
        // no workspaces: the listener reads the input vertices' epsilons after backprop
        .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
        .graphBuilder().addInputs(inputs);
    b.addVertex("stacked", new StackVertex(), inputs);
    b.addVertex("normalised", new L2NormalizeVertex(new int[] {1}, 1e-12), "stacked");
    String[] unstacked = new String[views];
    for (int v = 0; v < views; v++) {
      unstacked[v] = "out_" + v;
      b.addVertex(unstacked[v], new UnstackVertex(v, views), "normalised");
    }
    b.addVertex("paired", new MergeVertex(), unstacked);
    b.addLayer("loss", new LossLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).build(), "paired");
    InputType[] types = new InputType[views];
    java.util.Arrays.fill(types, InputType.feedForward(d));
    return b.setOutputs("loss").setInputTypes(types).build();
  }

  private static ComputationGraph lossGraph(int views, int d, boolean mixing) {
    ComputationGraph graph = new ComputationGraph(lossConfiguration(views, d,
        new MixedBarlowTwinsLossFunction(LAMBDA, MIX_SCALE, mixing, DegenerateBatchPolicy.FAIL)));
    graph.init();
    return graph;
  }

  private static MixedBarlowTwinsLossFunction lossOf(ComputationGraph graph) {
    LossLayer conf = (LossLayer) graph.getLayer("loss").conf().getLayer();
    return (MixedBarlowTwinsLossFunction) conf.getLossFn();
  }

  /**
   * Labels in double precision so alpha is exact (StepLabels.toArray rounds it to float, as the training
   * pipeline's float mixing does too); the golden values were computed with the exact alpha.
   */
  private static INDArray goldenLabels(GoldenCase g, long step) {
    double alpha = g.scalar("hyper/alpha");
    int[] index = g.ints("inputs/index");
    double[][] rows = new double[index.length][];
    for (int i = 0; i < index.length; i++) {
      rows[i] = new double[] {alpha, index[i], step, index.length};
    }
    return Nd4j.create(rows);
  }

  /** The L2-normalised embeddings side by side, as the LossLayer receives them. */
  private static INDArray goldenPreOutput(GoldenCase g, boolean mixing) {
    return mixing
        ? Nd4j.hstack(g.array("inputs/out_1"), g.array("inputs/out_2"), g.array("inputs/out_m"))
        : Nd4j.hstack(g.array("inputs/out_1"), g.array("inputs/out_2"));
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    assertNotNull(actual, what + " missing");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1);
    double err = expected.sub(actual.castTo(expected.dataType())).amaxNumber().doubleValue();
    assertTrue(err <= 1e-9 * scale, what + ": max abs error " + err);
  }

  /** Copies each input vertex's epsilon (dL·N/dh) at the end of the backward pass, before DL4J clears it. */
  private static final class InputGradients extends BaseTrainingListener {
    final INDArray[] byView;

    InputGradients(int views) {
      byView = new INDArray[views];
    }

    @Override
    public void onBackwardPass(Model model) {
      ComputationGraph graph = (ComputationGraph) model;
      for (int v = 0; v < byView.length; v++) {
        INDArray eps = graph.getVertex(VIEWS[v]).getEpsilon();
        byView[v] = eps == null ? null : eps.dup();
      }
    }
  }
}
