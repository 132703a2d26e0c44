package io.reluquant.validation.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code reluquant --version}: the Implementation-Version the build wrote into the jar's manifest
 * (from the POM), and the JVM it runs on.
 */
public final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return lines(ReluquantCommand.class.getPackage().getImplementationVersion());
    }

    /**
     * @param implementationVersion the manifest's Implementation-Version, null when run from classes
     * @return the lines --version prints
     */
    static String[] lines(String implementationVersion) {
        String version = implementationVersion != null ? implementationVersion
                : "(unknown version: not run from the built jar)";
        return new String[] {
            "reluquant " + version,
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        };
    }
}
