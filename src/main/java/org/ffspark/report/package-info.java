/**
 * Metrics and tables computed from results: accuracy, per-class accuracy, confusion matrices.
 * Pure Java; reading and writing them is the job of {@code org.ffspark.io}.
 */
package org.ffspark.report;
