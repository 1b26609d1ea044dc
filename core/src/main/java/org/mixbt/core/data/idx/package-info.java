/**
 * Readers for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a
 * big-endian header {@code 0x00 0x00 <type> <ndims>}, one unsigned 32-bit size per dimension, then the
 * payload. Only the unsigned-byte type ({@code 0x08}) is supported.
 */
package org.mixbt.core.data.idx;
