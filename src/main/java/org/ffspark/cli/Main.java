package org.ffspark.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import org.ffspark.config.ConfigException;
import org.ffspark.data.InputDataException;
import org.ffspark.io.LockedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ffspark}. Exit codes: 0 success, 1 internal error (stack trace printed), 2 bad
 * configuration or arguments, 3 bad input data, 4 I/O failure, 5 locked by another run (retrain). Errors of
 * kinds 2-5 print one line.
 */
@Command(name = "ffspark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Distributed Forward-Forward training and FF saliency analysis on Spark and ND4J.",
        subcommands = {FetchDataCommand.class, ConfigCommand.class, BlasCommand.class, IngestCommand.class, TrainCommand.class, TrainMlpCommand.class, EvaluateCommand.class,
                SaliencyCommand.class, ReportCommand.class, RetrainCommand.class, CompareCommand.class, BenchFfCommand.class, BenchTrainCommand.class, BenchScaleCommand.class, ScaleModelCommand.class, BenchSaliencyCommand.class, BenchAccuracyCommand.class, BenchFaithfulnessCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int BAD_CONFIG = 2;
    public static final int BAD_DATA = 3;
    public static final int IO_FAILURE = 4;
    public static final int LOCKED = 5;

    /**
     * Exits with the command's code; except as the driver inside a YARN container (cluster deploy mode), where
     * {@code System.exit} would pre-empt the ApplicationMaster's final status: there a success returns and a failure
     * throws, so YARN reports the application as succeeded or failed.
     */
    public static void main(String[] args) {
        int code = run(args);
        if (System.getenv("CONTAINER_ID") == null) {
            System.exit(code);
        } else if (code != OK) {
            throw new IllegalStateException("ffspark " + String.join(" ", args) + ": exit code " + code + " (message above)");
        }
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, cmd.getErr()));
        cl.setExitCodeExceptionMapper(ex -> BAD_CONFIG);
        cl.setParameterExceptionHandler((ex, given) -> {
            // A converter's own ConfigException already names the option and what is allowed.
            String msg = ex.getCause() instanceof ConfigException c ? c.getMessage() : ex.getMessage();
            ex.getCommandLine().getErr().println("ffspark: config error: " + msg.split("\n")[0] + " (see ffspark "
                    + ex.getCommandLine().getCommandName() + " --help)");
            return BAD_CONFIG;
        });
        return cl.execute(args);
    }

    /** The command line as users get it (enum values in any case), for running and for checking command lines. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static int handle(Exception ex, PrintWriter err) {
        Throwable e = known(ex);
        if (e != ex && e instanceof Exception known) {
            return handle(known, err);  // e.g. bad data found inside a Spark task: its own one-line message
        }
        if (ex instanceof ConfigException) {
            err.println("ffspark: config error: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (ex instanceof InputDataException) {
            err.println("ffspark: bad input: " + e.getMessage());
            return BAD_DATA;
        }
        if (ex instanceof LockedException) {
            err.println("ffspark: locked: " + e.getMessage());
            return LOCKED;
        }
        if (ex instanceof UncheckedIOException) {
            err.println("ffspark: I/O error: " + e.getMessage());
            return IO_FAILURE;
        }
        if (ex instanceof org.apache.spark.SparkException && ex.getMessage() != null && ex.getMessage().startsWith("Job aborted")) {
            String first = ex.getMessage().split("\n")[0];
            // Exit code 52 is an executor's OutOfMemoryError (Spark's SparkExitCode.OOM).
            String hint = first.contains("exited with code 52") ? "; an executor ran out of memory: raise spark.executor.memory" : "";
            err.println("ffspark: Spark job failed: " + first + hint);
            return INTERNAL;
        }
        err.println("ffspark: internal error (please report): " + e);
        ex.printStackTrace(err);
        return INTERNAL;
    }

    /** The first ffspark error in the cause chain (Spark wraps a task's exception), or {@code ex} itself. */
    private static Throwable known(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConfigException || t instanceof InputDataException || t instanceof LockedException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return ex;
    }

    /** Version string with the git commit of the build. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ffspark 0.1.0 (" + org.ffspark.io.BuildInfo.gitCommit() + ")"};
        }
    }
}
