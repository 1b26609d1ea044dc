/**
 * Evaluation of learned representations without training a classifier.
 *
 * <p>{@link org.mixbt.core.eval.WeightedKnn} is the weighted kNN monitor of the original
 * {@code main.py test()} (Wu et al. 2018 style): cosine similarity against a memory bank of train-split
 * features, top-k neighbours, weights {@code exp(sim / T)} summed per class. Pure ND4J plus plain Java; no
 * Spark, so the job module only gathers features and calls it.
 */
package org.mixbt.core.eval;
