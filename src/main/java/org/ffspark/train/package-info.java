/**
 * Distributed FF training on Spark: sharding into packed partitions, averaging rounds (broadcast,
 * mapPartitions, treeAggregate), deterministic summation, checkpoints. Only Spark primitives move data.
 */
package org.ffspark.train;
