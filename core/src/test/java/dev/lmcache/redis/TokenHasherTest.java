package dev.lmcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@link TokenHasher} against {@code golden/token-hashes.json}, made by LMCache's own hashing code
 * (every case, every chunk, every key), plus vectors made with CPython 3.11 for what the golden file
 * does not cover, and the settings it refuses.
 */
class TokenHasherTest {

    // ---- the golden file -------------------------------------------------------------------------

    /** One case of the golden file, read with SnakeYAML (JSON is YAML). */
    record GoldenCase(Map<String, Object> raw) {
        String id() {
            return (String) raw.get("id");
        }

        String profile() {
            return (String) raw.get("profile");
        }

        boolean mp() {
            return raw.containsKey("mp_keys");
        }

        @SuppressWarnings("unchecked")
        List<List<Object>> chunks() {
            return (List<List<Object>>) raw.get("chunks");
        }

        @SuppressWarnings("unchecked")
        List<String> list(String name) {
            return raw.containsKey(name) ? (List<String>) raw.get(name) : List.of();
        }

        TokenHasher.Builder settings() {
            TokenHasher.Builder b = TokenHasher.builder().profile(HashProfile.parse(profile()))
                    .algorithm(HashAlgorithm.parse((String) raw.get("algo")))
                    .chunkSize(((Number) raw.get("chunk_size")).intValue())
                    .seed((String) raw.get("pythonhashseed"))
                    .extraKeys(list("extra_keys"));
            if (Boolean.FALSE.equals(raw.get("vllm_available"))) {
                b.startAtZero(true);
            }
            return b;
        }

        int[] tokens() {
            int[] t = tokens((String) raw.get("tokens"));
            assertThat(t).hasSize(((Number) raw.get("num_tokens")).intValue());
            return t;
        }

        @Override
        public String toString() {
            return id();
        }

        static int[] tokens(String name) {
            if (name.equals("edge260")) {
                int[] edge = {0, 1, 23, 24, 255, 256, 65535, 65536, 128000, 128255};
                int[] t = new int[260];
                for (int i = 0; i < t.length; i++) {
                    t[i] = edge[i % edge.length];
                }
                return t;
            }
            if (!name.matches("gen[0-9]+")) {
                throw new IllegalStateException("unknown token list '" + name + "' in the golden file");
            }
            int[] t = new int[Integer.parseInt(name.substring(3))];
            for (int i = 0; i < t.length; i++) {
                t[i] = (int) ((i * 7919L + 13) % 128256);
            }
            return t;
        }
    }

    @SuppressWarnings("unchecked")
    static List<GoldenCase> goldenCases() {
        try (InputStream in = TokenHasherTest.class.getClassLoader().getResourceAsStream("golden/token-hashes.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource golden/token-hashes.json is missing");
            }
            Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return ((List<Map<String, Object>>) file.get("cases")).stream().map(GoldenCase::new).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case twice where save_unfull_chunk can matter (in-process), once for the MP cases. */
    static Stream<Arguments> goldenCasesWithSaveUnfullChunk() {
        return goldenCases().stream().flatMap(c -> c.mp() ? Stream.of(Arguments.of(c, false))
                : Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
    }

    private static void assertHashEquals(ChunkHash actual, Object golden, String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) golden;
        if (g.containsKey("bytes_hex")) {
            assertThat(actual.form()).as(what).isEqualTo(ChunkHash.Form.DIGEST);
            assertThat(actual.keyHex()).as(what).isEqualTo(g.get("bytes_hex"));
        } else {
            assertThat(actual.form()).as(what).isNotEqualTo(ChunkHash.Form.DIGEST);
            assertThat(actual.integer()).as(what).isEqualTo(new BigInteger(g.get("int").toString()));
        }
    }

    @Test
    void theGoldenFileHasAllThirtyNineCases() {
        assertThat(goldenCases()).hasSize(39);
    }

    @ParameterizedTest
    @MethodSource("goldenCases")
    void startHashIsLmcachesNoneHash(GoldenCase c) {
        TokenHasher hasher = c.settings().build();

        assertHashEquals(hasher.startHash(), c.raw().get("none_hash"), c.id() + " none_hash");
        assertThat(hasher.startHash().start()).isZero();
        assertThat(hasher.startHash().end()).isZero();
    }

    @ParameterizedTest(name = "{0} save_unfull_chunk={1}")
    @MethodSource("goldenCasesWithSaveUnfullChunk")
    void everyChunkMatchesTheGoldenOffsetsHashAndPartialFlag(GoldenCase c, boolean saveUnfullChunk) {
        List<List<Object>> expected = c.chunks().stream()
                .filter(g -> saveUnfullChunk || !(g.size() > 3 && "partial".equals(g.get(3)))).toList();

        List<ChunkHash> actual = c.settings().saveUnfullChunk(saveUnfullChunk).build().hash(c.tokens());

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            List<Object> g = expected.get(i);
            ChunkHash h = actual.get(i);
            String what = c.id() + " chunk " + i;
            assertThat(h.start()).as(what).isEqualTo(g.get(0));
            assertThat(h.end()).as(what).isEqualTo(g.get(1));
            assertHashEquals(h, g.get(2), what);
            assertThat(h.partial()).as(what).isEqualTo(g.size() > 3 && "partial".equals(g.get(3)));
        }
    }

    @ParameterizedTest
    @MethodSource("goldenCases")
    void keyHexIsTheHashPartOfEveryGoldenKey(GoldenCase c) {
        List<ChunkHash> hashes = c.settings().saveUnfullChunk(true).build().hash(c.tokens());
        // key forms: model@ws@worker@HASH@dtype[@tag], model@rank@group@HASH[@salt], model@rank@HASH[@salt]
        List<String> keys = c.mp() ? c.list("mp_keys") : c.list("keys");
        List<String> before = c.list("mp_keys_before_2026_06_09");

        assertThat(keys).hasSameSizeAs(hashes);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(keys.get(i).split("@")[3]).as(keys.get(i)).isEqualTo(hashes.get(i).keyHex());
        }
        if (c.mp()) {
            assertThat(before).hasSameSizeAs(hashes);
            for (int i = 0; i < before.size(); i++) {
                assertThat(before.get(i).split("@")[2]).as(before.get(i)).isEqualTo(hashes.get(i).keyHex());
            }
        }
    }

    @Test
    void keyHexFollowsLmcachesRenderingPerForm() {
        ChunkHash negative = ChunkHash.ofValue(0, 256, false, ChunkHash.Form.SIGNED_64, -2036328211738636620L);
        ChunkHash unsigned = ChunkHash.ofValue(0, 256, false, ChunkHash.Form.UNSIGNED_64, 0xff83dd8a190d988aL);
        ChunkHash small = ChunkHash.ofValue(0, 256, false, ChunkHash.Form.UNSIGNED_64, 0x3eddcfdf3419411L);
        ChunkHash minimum = ChunkHash.ofValue(0, 256, false, ChunkHash.Form.SIGNED_64, Long.MIN_VALUE);

        assertThat(negative.keyHex()).isEqualTo("-1c427db83ac9b14c");
        assertThat(unsigned.keyHex()).isEqualTo("ff83dd8a190d988a");
        assertThat(unsigned.integer()).isEqualTo(new BigInteger("18411803286816266378"));
        assertThat(small.keyHex()).isEqualTo("3eddcfdf3419411");
        assertThat(minimum.keyHex()).isEqualTo("-8000000000000000");
        assertThat(minimum.integer()).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE));
    }

    @Test
    void chunkHashesAreValuesWithCopiedBytes() {
        byte[] digest = new byte[32];
        ChunkHash a = new ChunkHash(0, 256, false, ChunkHash.Form.DIGEST, digest);
        digest[0] = 1;

        assertThat(a).isEqualTo(new ChunkHash(0, 256, false, ChunkHash.Form.DIGEST, new byte[32]));
        assertThat(a.bytes()[0]).isZero();
        a.bytes()[1] = 1;
        assertThat(a.bytes()[1]).isZero();
        assertThat(a.toString()).isEqualTo("[0, 256) " + "0".repeat(64));
        assertThatThrownBy(a::integer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ChunkHash(0, 256, false, ChunkHash.Form.DIGEST, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new ChunkHash(5, 4, false, ChunkHash.Form.DIGEST, new byte[32]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5, 4)");
    }

    // ---- beyond the golden file: vectors computed with CPython 3.11 (PYTHONHASHSEED as named) ----
    // builtin: hash((prev, tuple(tokens[i:i+cs]), tuple(extra))) chained from hash(seed) (or 0);
    // sha256_cbor: hashlib.sha256 over the canonical CBOR of the same structure.

    private static final int[] EDGE_AND_LARGE = edgeAndLarge();

    private static int[] edgeAndLarge() {
        int[] edge = GoldenCase.tokens("edge260");
        long[] large = {2147483647L, 2147483648L, 4294967295L, 4294967294L, 16777216, 24, 23, 0, 255, 256};
        int[] t = Arrays.copyOf(edge, edge.length + large.length);
        System.arraycopy(TokenIds.fromLongs(large), 0, t, edge.length, large.length);
        return t;
    }

    private static List<String> hex(List<ChunkHash> hashes) {
        List<String> out = new ArrayList<>();
        for (ChunkHash h : hashes) {
            out.add(h.keyHex());
        }
        return out;
    }

    private static TokenHasher.Builder inProcess(HashAlgorithm a, String seed) {
        return TokenHasher.builder().profile(HashProfile.IN_PROCESS).algorithm(a).seed(seed).saveUnfullChunk(true);
    }

    @Test
    void builtinWithAnotherSeedKeysPythonsStringHashFromThatSeed() {
        TokenHasher h = inProcess(HashAlgorithm.BUILTIN, "12345").build();

        assertThat(h.startHash().value()).isEqualTo(-4397775130427955790L);
        assertThat(hex(h.hash(GoldenCase.tokens("gen1000"))))
                .containsExactly("-3da28e1e764b12ba", "-7aca226625c9d336", "31c5838d32515143", "-57cdfe6402c0fdb4");
    }

    @Test
    void builtinHashesExtraKeysAsTheTupleOfStrings() {
        int[] tokens = GoldenCase.tokens("gen1000");

        assertThat(hex(inProcess(HashAlgorithm.BUILTIN, "0").extraKeys(List.of("my-lora")).build().hash(tokens)))
                .containsExactly("4fa51267d74b0071", "3540ed489c86306", "-39a9cc429d58e397", "-6a01d2ef2b15668f");
        assertThat(hex(inProcess(HashAlgorithm.BUILTIN, "12345").extraKeys(List.of("my-lora", "tenant-é")).build()
                .hash(tokens)))
                .containsExactly("-6481baf368682b71", "762d689e24e98139", "4abb997750340b0b", "-3ad9e5403861a065");
        assertThat(hex(inProcess(HashAlgorithm.BUILTIN, "12345").extraKeys(List.of("my-lora")).startAtZero(true)
                .build().hash(GoldenCase.tokens("gen300"))))
                .containsExactly("-288b25139926ba1a", "-6b4f87567e8cc166");
    }

    @Test
    void sha256CborHashesExtraKeysAsAnArrayOfTextStrings() {
        assertThat(hex(inProcess(HashAlgorithm.SHA256_CBOR, "12345").extraKeys(List.of("my-lora", "tenant-é")).build()
                .hash(GoldenCase.tokens("gen300"))))
                .containsExactly("e57f228101bc2697", "cf7521dd40b387d4");
    }

    @Test
    void tokenIdsUpToTheUint32MaximumAndOddChunkSizesHashLikePython() {
        assertThat(hex(inProcess(HashAlgorithm.BUILTIN, "0").chunkSize(16).build().hash(EDGE_AND_LARGE)))
                .hasSize(17).startsWith("-48861c4af806f35e", "3739d73e146f5170")
                .endsWith("-31bab708e6560d4a", "-4a9a230936c730cb");
        assertThat(hex(inProcess(HashAlgorithm.SHA256_CBOR, "12345").chunkSize(16).build().hash(EDGE_AND_LARGE)))
                .hasSize(17).startsWith("4b6455a6274348be", "a1e482c4682c3a9b")
                .endsWith("5e360a3029c7f7cb", "780b710901c2e9ba");
        assertThat(hex(inProcess(HashAlgorithm.SHA256_CBOR, "0").profile(HashProfile.IN_PROCESS_2026_03).chunkSize(7)
                .build().hash(EDGE_AND_LARGE)))
                .endsWith("dcce46f7e6fb7a1105f2d2a01b265221236e4ea12daf61e50e53c95768fec67e",
                        "6abf8c21824f31a71b39f4143f074f960353f3d8135a5698569228c0c43a4dd3");
        List<ChunkHash> mp = TokenHasher.builder().algorithm(HashAlgorithm.SHA256_CBOR).seed("12345").chunkSize(1)
                .build().hash(Arrays.copyOfRange(EDGE_AND_LARGE, 260, 270));
        assertThat(mp).hasSize(10);
        assertThat(mp.get(9).keyHex()).isEqualTo("20599525445f8bf9803cdd1bd7dad870e050eb1bea776c9264c93bb826082f08");
    }

    @Test
    void longTokenIdsHashLikeTheirIntBitPatterns() {
        TokenHasher h = TokenHasher.builder().chunkSize(2).build();

        assertThat(h.hash(new long[] {4294967295L, 2147483648L})).isEqualTo(h.hash(new int[] {-1, Integer.MIN_VALUE}));
    }

    @Test
    void builtinHashesAreTheSameInBothInProcessProfiles() {
        int[] tokens = GoldenCase.tokens("gen1000");

        assertThat(inProcess(HashAlgorithm.BUILTIN, "0").profile(HashProfile.IN_PROCESS_2026_03).build().hash(tokens))
                .isEqualTo(inProcess(HashAlgorithm.BUILTIN, "0").build().hash(tokens));
    }

    // ---- settings ---------------------------------------------------------------------------------

    @Test
    void defaultsAreLmcachesMultiprocessServer() {
        TokenHasher h = TokenHasher.builder().build();

        assertThat(h.profile()).isEqualTo(HashProfile.MP);
        assertThat(h.algorithm()).isEqualTo(HashAlgorithm.BLAKE3);
        assertThat(h.chunkSize()).isEqualTo(256);
        assertThat(h.seed()).isEmpty();
        assertThat(h.saveUnfullChunk()).isFalse();
        assertThat(h.extraKeys()).isEmpty();
        assertThat(h.toString()).isEqualTo("TokenHasher[profile=mp-current, algorithm=blake3, chunkSize=256, seed=unset]");
        assertThat(TokenHasher.builder().profile(HashProfile.IN_PROCESS).seed("0").build().algorithm())
                .isEqualTo(HashAlgorithm.BUILTIN);
    }

    @Test
    void theMultiprocessProfileHashesFullChunksOnlyWhateverSaveUnfullChunkSays() {
        List<ChunkHash> hashes = TokenHasher.builder().saveUnfullChunk(true).build().hash(GoldenCase.tokens("gen1000"));

        assertThat(hashes).hasSize(3).noneMatch(ChunkHash::partial);
    }

    @Test
    void blake3IgnoresTheSeed() {
        int[] tokens = GoldenCase.tokens("gen256");

        assertThat(TokenHasher.builder().seed("12345").build().hash(tokens))
                .isEqualTo(TokenHasher.builder().build().hash(tokens));
    }

    @Test
    void namesParseAsLmcacheSpellsThem() {
        assertThat(HashAlgorithm.parse(" SHA256_CBOR ")).isEqualTo(HashAlgorithm.SHA256_CBOR);
        assertThat(HashAlgorithm.parse("sha256_cbor_64bit")).isEqualTo(HashAlgorithm.SHA256_CBOR);
        assertThat(Arrays.stream(HashAlgorithm.values()).map(HashAlgorithm::configName))
                .containsExactly("blake3", "sha256_cbor", "builtin");
        assertThat(HashProfile.parse("nonmp-2026-03")).isEqualTo(HashProfile.IN_PROCESS_2026_03);
        assertThat(Arrays.stream(HashProfile.values()).map(HashProfile::profileName))
                .containsExactly("mp-current", "nonmp-current", "nonmp-2026-03");
    }

    @Test
    void unknownNamesAreRejectedListingTheAcceptedOnes() {
        assertThatThrownBy(() -> HashAlgorithm.parse("xxhash")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hash algorithm 'xxhash' is not supported; accepted: blake3, sha256_cbor, builtin");
        assertThatThrownBy(() -> HashAlgorithm.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accepted: blake3, sha256_cbor, builtin");
        assertThatThrownBy(() -> HashProfile.parse("mp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hash profile 'mp' is not supported; accepted: mp-current, nonmp-current, nonmp-2026-03");
    }

    @Test
    void builtinWithoutASeedIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> TokenHasher.builder().profile(HashProfile.IN_PROCESS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("builtin (Python's hash()) is reproducible only with a fixed PYTHONHASHSEED")
                .hasMessageContaining("is unset")
                .hasMessageContaining("--hash-seed");
        assertThatThrownBy(() -> inProcess(HashAlgorithm.BUILTIN, "random").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hash seed is 'random'");
        assertThatThrownBy(() -> inProcess(HashAlgorithm.BUILTIN, null).startAtZero(true).extraKeys(List.of("lora"))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PYTHONHASHSEED");
    }

    @Test
    void builtinStartingAtZeroNeedsNoSeedWithoutExtraKeys() {
        TokenHasher h = inProcess(HashAlgorithm.BUILTIN, null).startAtZero(true).build();

        assertThat(h.startHash().value()).isZero();
        assertThat(h.hash(GoldenCase.tokens("gen256")).get(0).value()).isEqualTo(-7409071055496558224L);
    }

    @Test
    void seedsPythonWouldRefuseAreRejected() {
        for (String bad : new String[] {"", "abc", "-1", "4294967296", "1.5", " 0"}) {
            assertThatThrownBy(() -> inProcess(HashAlgorithm.SHA256_CBOR, bad).build()).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("hash seed '" + bad + "' is not a PYTHONHASHSEED value; accepted: an integer in"
                            + " [0, 4294967295] or 'random' (PYTHONHASHSEED), or no seed for unset (--hash-seed)");
        }
        assertThat(inProcess(HashAlgorithm.SHA256_CBOR, "4294967295").build().seed()).contains("4294967295");
        assertThat(inProcess(HashAlgorithm.BUILTIN, "4294967295").build().startHash().value())
                .isEqualTo(8891781246207573802L); // hash("4294967295") under PYTHONHASHSEED=4294967295
    }

    @Test
    void aChunkSizeBelowOneIsRejected() {
        for (int bad : new int[] {0, -256}) {
            assertThatThrownBy(() -> TokenHasher.builder().chunkSize(bad).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("chunk size " + bad + " is not supported; accepted: a positive number of tokens"
                            + " (chunk_size / --chunk-size; LMCache's default is 256)");
        }
    }

    @Test
    void combinationsLmcacheDoesNotHaveAreRejected() {
        assertThatThrownBy(() -> TokenHasher.builder().profile(HashProfile.IN_PROCESS).algorithm(HashAlgorithm.BLAKE3)
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash algorithm blake3 is not supported with profile nonmp-current")
                .hasMessageContaining("vLLM, which has no blake3")
                .hasMessageEndingWith("accepted with nonmp-current: sha256_cbor, builtin");
        assertThatThrownBy(() -> TokenHasher.builder().algorithm(HashAlgorithm.BUILTIN).seed("0").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("accepted with mp-current: blake3, sha256_cbor");
        assertThatThrownBy(() -> TokenHasher.builder().extraKeys(List.of("my-lora")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extra keys are hashed only in profile nonmp-current, not mp-current");
        assertThatThrownBy(() -> inProcess(HashAlgorithm.SHA256_CBOR, "0").profile(HashProfile.IN_PROCESS_2026_03)
                .extraKeys(List.of("my-lora")).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not nonmp-2026-03");
        assertThatThrownBy(() -> inProcess(HashAlgorithm.SHA256_CBOR, "0").startAtZero(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supported only with algorithm builtin in the in-process profiles, not"
                        + " sha256_cbor with nonmp-current");
        assertThatThrownBy(() -> TokenHasher.builder().startAtZero(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not blake3 with mp-current");
    }

    @Test
    void tokenIdsOutsideUint32AreRejectedNamingTheIndex() {
        TokenHasher h = TokenHasher.builder().build();

        assertThatThrownBy(() -> h.hash(new long[] {1, 2, 4294967296L})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token id at index 2 is 4294967296, outside the accepted range 0..4294967295 (uint32)");
        assertThatThrownBy(() -> h.hash(new long[] {-1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 0 is -1");
    }
}
