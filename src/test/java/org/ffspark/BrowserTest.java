package org.ffspark;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A test that renders output in headless Chromium (Debian package chromium; .ci/run installs it). Run with -Pall. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@Test
public @interface BrowserTest {}
