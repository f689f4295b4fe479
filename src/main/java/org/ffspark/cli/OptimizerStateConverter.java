package org.ffspark.cli;

import org.ffspark.config.ConfigKeys;
import org.ffspark.config.OptimizerState;
import picocli.CommandLine.ITypeConverter;

/** Converts {@code --optimizer-state} by the rules of its key, so an error names the flag and says what is allowed. */
final class OptimizerStateConverter implements ITypeConverter<OptimizerState> {
    @Override
    public OptimizerState convert(String value) {
        return ConfigKeys.OPTIMIZER_STATE.parse(value, "--optimizer-state");
    }

    /** The value as a user writes it ("per-worker"). */
    static String flagValue(OptimizerState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
