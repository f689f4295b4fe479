/**
 * The Forward-Forward engine: layer-local training, goodness, negative data, optimizers and inference over one
 * flat parameter buffer. Pure computation on ND4J's native backend; no Spark, Hadoop or DL4J, no I/O.
 */
package org.ffspark.ff;
