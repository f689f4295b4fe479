/**
 * Immutable, validated configuration records and their loading from properties files and overrides.
 * Nothing here touches Spark, Hadoop, ND4J or the file system beyond reading a properties file.
 */
package org.ffspark.config;
