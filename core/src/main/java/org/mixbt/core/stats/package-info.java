/**
 * Statistics of a network's activations that must be combined exactly across executors: per-channel
 * moments of every BatchNorm input (precise BN), and the embedding health figures (per-dimension spread,
 * the two views' cross-correlation, the effective rank of the covariance).
 *
 * <p>Every partial result is a set of counts, means and co-moments (sums of products of deviations from
 * the mean) in double precision, merged by Chan, Golub and LeVeque's pairwise formulas, so the merged
 * value equals the one-shot value over the pooled samples whatever the partitioning (up to double
 * rounding). Plain Java and ND4J, no Spark: the job module only ships the partials and merges them.
 */
package org.mixbt.core.stats;
