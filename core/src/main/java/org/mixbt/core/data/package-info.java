/** Validated in-memory image records and the errors raised while reading publishers' raw files. */
package org.mixbt.core.data;
