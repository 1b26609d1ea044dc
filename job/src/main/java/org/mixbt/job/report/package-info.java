/** A run's report: PNG plots and report.html built from its metrics.jsonl, on any Hadoop file system. */
package org.mixbt.job.report;
