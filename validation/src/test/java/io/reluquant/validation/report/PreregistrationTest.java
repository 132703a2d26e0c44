// Proves: the report's pre-registration commit is the one git names for Claims.java (a 40-hex id, flagged when the file was modified since), and "unknown" with its reason outside a repository, never a guess.
package io.reluquant.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreregistrationTest {
    @Test
    void theCommitIsGitsOrUnknown() {
        Preregistration.Commit c = Preregistration.resolve();
        if (c.commit().equals("unknown")) {
            // a build outside a git checkout: the reason is said, no id is made up
            assertTrue(c.describe().startsWith("pre-registration commit: unknown ("), c.describe());
        } else {
            assertTrue(c.commit().matches("[0-9a-f]{40}"), c.commit());
            String top = Preregistration.git(Path.of("").toAbsolutePath(), "rev-parse", "--show-toplevel");
            String expected = Preregistration.git(Path.of(top), "log", "-1", "--format=%H", "--", Preregistration.FILE);
            assertEquals(expected, c.commit());
            assertTrue(c.describe().contains(c.commit()) && c.describe().contains(Preregistration.FILE), c.describe());
        }
    }

    @Test
    void outsideARepositoryGitGivesNothing(@TempDir Path dir) {
        assertNull(Preregistration.git(dir.resolve("absent"), "rev-parse", "--show-toplevel"));
    }
}
