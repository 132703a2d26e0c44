package io.reluquant.validation.cli;

/**
 * Where a command words a mixin's option its own way: the resource bundle OptionTexts.properties
 * beside this class, whose keys are the command's qualified name and the option's long name
 * without dashes ({@code reluquant.match.width}). An option the bundle does not name keeps the
 * description written on the mixin.
 */
final class OptionTexts {
    private OptionTexts() {}

    /** The bundle's base name, for {@code @Command(resourceBundle = ...)}. */
    static final String BUNDLE = "io.reluquant.validation.cli.OptionTexts";
}
