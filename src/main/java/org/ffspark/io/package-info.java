/**
 * Everything that touches storage: Hadoop file systems (file, hdfs, s3a), IDX data sets, the model format,
 * JSON records, atomic commit of outputs and the data fetch step. No training or saliency math here.
 */
package org.ffspark.io;
