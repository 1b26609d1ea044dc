/**
 * Optimisers DL4J lacks: LARS as the original ImageNet code runs it ({@link org.mixbt.core.optim.Lars}
 * for the momentum step, {@link org.mixbt.core.optim.LarsTrustRatio} for the layer-wise adaptation).
 * No Spark here; the state is plain arrays, so DL4J's parameter averaging averages it like Adam's.
 */
package org.mixbt.core.optim;
