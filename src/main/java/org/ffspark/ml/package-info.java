/**
 * ffspark as a Spark ML library: {@link org.ffspark.ml.FfClassifier} (an Estimator whose params are the configuration
 * keys), {@link org.ffspark.ml.FfClassificationModel} (a Model saved in the project's own model format) and
 * {@link org.ffspark.ml.FfSaliency} (a Transformer adding saliency maps). A shell package like {@code job}: wiring
 * between Spark ML and the core.
 */
package org.ffspark.ml;
