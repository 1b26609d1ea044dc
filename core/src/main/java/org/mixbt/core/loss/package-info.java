/**
 * The Mixed Barlow Twins loss (arXiv 2312.02151) as plain ND4J functions: value and hand-derived
 * gradients with respect to the network outputs ({@link org.mixbt.core.loss.MixedBarlowTwinsLoss}),
 * the result holder ({@link org.mixbt.core.loss.BarlowTwinsTerms}) and the error for batches that cannot
 * be standardised ({@link org.mixbt.core.loss.DegenerateBatchException}). No DL4J layer or Spark code
 * here: the DL4J adapter calls these functions.
 */
package org.mixbt.core.loss;
