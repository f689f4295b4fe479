package org.ffspark.job;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Run identifiers: UTC time plus process id; names temporary outputs and appears in provenance. */
public final class RunIds {
    private static final DateTimeFormatter F = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunIds() {}

    public static String next() {
        return F.format(Instant.now()) + "-" + ProcessHandle.current().pid();
    }

    public static String now() {
        return Instant.now().toString();
    }
}
