/** Which ND4J backend and devices a JVM runs on, and whether the backend has code for them. */
package org.mixbt.core.backend;
