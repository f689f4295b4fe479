/**
 * Data sets in memory: IDX parsing and validation, labelled image sets, label overlay and checksums.
 * Pure Java over streams; opening files on a Hadoop file system lives in {@code org.ffspark.io}.
 */
package org.ffspark.data;
