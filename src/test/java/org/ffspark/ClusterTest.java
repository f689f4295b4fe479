package org.ffspark;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A slow test on real multi-process Spark (local-cluster) or HDFS (MiniDFSCluster); excluded by default, run with -Pall (bin/test -Pall, .ci/run). */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
@Test
public @interface ClusterTest {}
