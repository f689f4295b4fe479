/**
 * One class per job: read inputs through {@code io}, call the core, write outputs through {@code io}.
 * Wiring only; the math lives in {@code ff}, {@code saliency} and {@code report}.
 */
package org.ffspark.job;
