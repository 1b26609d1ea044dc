/** {@code PrepJob verify}: re-reads a shard root and checks it against its manifest. */
package org.mixbt.prep.verify;
