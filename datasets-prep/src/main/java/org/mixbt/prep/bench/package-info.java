/** Prep throughput benchmark ({@code deploy/mixbt prep-benchmark}): prep versus plain reading of the input. */
package org.mixbt.prep.bench;
