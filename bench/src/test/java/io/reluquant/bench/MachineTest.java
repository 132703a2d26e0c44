// Proves: the machine header is right: physical cores count core ids (not SMT siblings), CPU lists parse, metadata is valid JSON and Markdown.
package io.reluquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MachineTest {
    /** /proc/cpuinfo of a machine with 2 sockets x 2 cores x 2 SMT threads */
    private static List<String> cpuinfo() {
        List<String> lines = new ArrayList<>();
        int cpu = 0;
        for (int socket = 0; socket < 2; socket++) {
            for (int thread = 0; thread < 2; thread++) {
                for (int core = 0; core < 2; core++) {
                    lines.add("processor\t: " + cpu++);
                    lines.add("model name\t: AMD EPYC   9R14 96-Core Processor");
                    lines.add("physical id\t: " + socket);
                    lines.add("core id\t\t: " + core);
                    lines.add("");
                }
            }
        }
        lines.remove(lines.size() - 1); // the last block may end without a blank line
        return lines;
    }

    @Test
    void physicalCoresCountCoreIdsNotSmtSiblings() {
        Machine.Cpus all = Machine.parseCpuinfo(cpuinfo(), null);
        assertEquals("AMD EPYC 9R14 96-Core Processor", all.model());
        assertEquals(8, all.logical());
        assertEquals(4, all.physicalCores());
        // cpus 0 and 2 are the two threads of socket 0's core 0; cpu 5 is socket 1's core 1
        Machine.Cpus some = Machine.parseCpuinfo(cpuinfo(), Set.of(0, 2, 5));
        assertEquals(3, some.logical());
        assertEquals(2, some.physicalCores());
    }

    @Test
    void cpuinfoWithoutTopologyCountsEveryProcessor() {
        Machine.Cpus c = Machine.parseCpuinfo(List.of("processor : 0", "cpu model : X", "", "processor : 1", "cpu model : X"), null);
        assertEquals(2, c.logical());
        assertEquals(2, c.physicalCores());
        assertEquals("X", c.model());
    }

    @Test
    void cpuLists() {
        assertEquals(Set.of(0, 1, 2, 3, 8, 10, 11), Machine.parseCpuList("0-3,8,10-11\n"));
        assertEquals(Set.of(5), Machine.parseCpuList(" 5 "));
        Throwable e = assertThrows(IllegalArgumentException.class, () -> Machine.parseCpuList("3-1"));
        assertTrue(e.getMessage().contains("3-1"), e.getMessage());
    }

    @Test
    void metadataIsJsonAndMarkdown() {
        Machine m = new Machine("CPU \"x\"", 2, 1, 2, "reluquant: Vector API kernel, 512-bit vectors (preferred width)",
                "JDK 25 at /usr/lib/jvm/j (newest)", "Linux 6.1 amd64", "abc123+dirty", "2026-01-02T03:04:05Z");
        String json = Machine.json(m.fields());
        assertTrue(json.startsWith("{\n  \"cpu_model\": \"CPU \\\"x\\\"\",\n  \"logical_cpus\": 2,\n  \"physical_cores\": 1,"), json);
        assertTrue(json.contains("\"git_commit\": \"abc123+dirty\""), json);
        assertTrue(json.endsWith("\"date\": \"2026-01-02T03:04:05Z\"\n}\n"), json);
        assertEquals("\"a\\\\b\\n\\u0001\"", Machine.quote("a\\b\n\u0001"));
        assertEquals("{\n  \"x\": 1.5\n}\n", Machine.json(Map.of("x", 1.5)));
        String md = m.markdown();
        assertTrue(md.contains("| cores | 1 physical, 2 logical CPUs usable (SMT on (2 threads per core)) |"), md);
        assertTrue(md.contains("| vector kernel | reluquant: Vector API kernel, 512-bit vectors (preferred width) |"), md);
        assertTrue(md.contains("| git commit | abc123+dirty |"), md);
    }
}
