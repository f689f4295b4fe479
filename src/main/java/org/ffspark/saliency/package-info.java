/**
 * Saliency maps for FF networks (PAPER.md section 3) and their faithfulness metrics (section 4), one image at a
 * time over the engine's batched forward passes. Pure computation: no Spark, Hadoop or I/O.
 */
package org.ffspark.saliency;
