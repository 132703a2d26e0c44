// Proves: the hot vector methods stay above C2's inlining size, so each compiles as a root of its own and never allocates through Vector API fallbacks.
package io.reluquant.kernel.fused;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hot vector methods of the fused kernel stay too big for C2 to inline into their callers, so each
 * is compiled as a root of its own. Inlined up into the engine (as far as Trainer.step, with two copies
 * of the sweep) a method's Vector API intrinsics were in some runs left as calls to their Java fallbacks,
 * which allocate a vector per operation: C2 expands them after parsing and gives up on those still
 * pending once the compile unit is past its node budget. C2 inlines a hot method only up to
 * FreqInlineSize bytecodes (325 on x86 and AArch64, JDK 17 to 25), so the bytecode size is the guard;
 * a refactoring that shrinks one of these methods fails here instead of allocating once in a few dozen
 * runs.
 */
class CompileRootsTest {
    static final int FREQ_INLINE_SIZE = 325;

    @ParameterizedTest
    @ValueSource(classes = {VectorNeuronKernelF32.class, VectorNeuronKernelF64.class})
    void hotVectorMethodsAreCompiledOnTheirOwn(Class<?> kernel) throws IOException {
        Map<String, Integer> sizes = codeSizes(kernel);
        System.out.println(kernel.getSimpleName() + " bytecode sizes: " + sizes);
        for (String root : new String[] {"finishBackward", "backwardOneInput", "forwardOneInput", "backwardTwoInputs"}) {
            Integer size = sizes.get(root);
            assertTrue(size != null, kernel.getSimpleName() + "." + root + " not found");
            assertTrue(size > FREQ_INLINE_SIZE, kernel.getSimpleName() + "." + root + " is " + size
                    + " bytecodes: C2 would inline it (FreqInlineSize " + FREQ_INLINE_SIZE + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {VectorOutputsNeuronKernelF32.class, VectorOutputsNeuronKernelF64.class})
    void hotVectorMethodsOfTheOutputsSweepAreCompiledOnTheirOwn(Class<?> kernel) throws IOException {
        Map<String, Integer> sizes = codeSizes(kernel);
        System.out.println(kernel.getSimpleName() + " bytecode sizes: " + sizes);
        for (String root : new String[] {"finish", "outputTile", "lastTile", "outputTileOneInput", "lastTileOneInput",
                                         "forwardTile", "forwardTileOneInput"}) {
            Integer size = sizes.get(root);
            assertTrue(size != null, kernel.getSimpleName() + "." + root + " not found");
            assertTrue(size > FREQ_INLINE_SIZE, kernel.getSimpleName() + "." + root + " is " + size
                    + " bytecodes: C2 would inline it (FreqInlineSize " + FREQ_INLINE_SIZE + ")");
        }
    }

    /**
     * The in-kernel optimizer's vector code, called from the fused and mask-bit kernels' updates, is a
     * root of its own too, each rule in its own compile unit (measured: with the momentum loop in a method
     * under the inlining size, that loop was inlined into the mask-bit kernel and boxed there, 10 bytes per
     * parameter and step; with both rules' loops in one unit, AdamW boxed after momentum had run).
     */
    @ParameterizedTest
    @ValueSource(classes = {io.reluquant.kernel.sweep.VectorOptimizerF32.class, io.reluquant.kernel.sweep.VectorOptimizerF64.class})
    void theVectorOptimizerIsCompiledOnItsOwn(Class<?> type) throws IOException {
        for (String root : new String[] {"move", "adamW"}) {
            Integer size = codeSizes(type).get(root);
            assertTrue(size != null, type.getSimpleName() + "." + root + " not found");
            assertTrue(size > FREQ_INLINE_SIZE, type.getSimpleName() + "." + root + " is " + size
                    + " bytecodes: C2 would inline it (FreqInlineSize " + FREQ_INLINE_SIZE + ")");
        }
    }

    /** method name -> length of its Code attribute, read from the class file (JVMS 4) */
    static Map<String, Integer> codeSizes(Class<?> type) throws IOException {
        try (InputStream raw = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            DataInputStream in = new DataInputStream(raw);
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file: " + type);
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // 8-byte constants take two slots
                    }
                    default -> throw new IOException("constant pool tag " + tag + " in " + type);
                }
            }
            in.skipNBytes(6); // access, this, super
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            skipMembers(in);
            Map<String, Integer> sizes = new TreeMap<>();
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.skipNBytes(2);
                String name = utf8[in.readUnsignedShort()];
                in.skipNBytes(2);
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code")) {
                        in.skipNBytes(4); // max_stack, max_locals
                        int code = in.readInt();
                        sizes.merge(name, code, Math::max);
                        in.skipNBytes(length - 8L);
                    } else {
                        in.skipNBytes(length);
                    }
                }
            }
            return sizes;
        }
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int members = in.readUnsignedShort();
        for (int f = 0; f < members; f++) {
            in.skipNBytes(6);
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.skipNBytes(2);
                in.skipNBytes(in.readInt());
            }
        }
    }
}
