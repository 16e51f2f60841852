package dev.lmcache.redis.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class EmbeddedRedisClusterTest {

    /** Keys whose slots are owned by every master, one key per master. */
    private static Map<String, String> keysOnEveryMaster(EmbeddedRedisCluster cluster, String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        Set<String> masters = new HashSet<>();
        for (int i = 0; masters.size() < cluster.masters().size(); i++) {
            String key = prefix + i;
            if (masters.add(cluster.masterFor(SlotHash.getSlot(key)).nodeId())) {
                keys.put(key, "value-" + i);
            }
        }
        return keys;
    }

    @Test
    void aThreeMasterClusterServesKeysInSlotsOfDifferentMasters(EmbeddedRedisCluster cluster) {
        assertThat(cluster.nodes()).hasSize(3).allMatch(ClusterNode::isMaster);
        assertThat(cluster.url()).matches("redis-cluster://127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+");
        assertThat(cluster.seedUrls()).hasSize(3).allMatch(u -> u.startsWith("redis://127.0.0.1:"));
        Map<String, String> keys = keysOnEveryMaster(cluster, "cluster-test:cross-slot:");
        assertThat(keys).hasSize(3);

        RedisClusterClient client = TestClients.cluster(cluster.seedUris(), null);
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            RedisAdvancedClusterCommands<String, String> sync = c.sync();
            assertThat(sync.mset(keys)).isEqualTo("OK");
            List<String> values = sync.mget(keys.keySet().toArray(new String[0])).stream()
                    .map(kv -> kv.getValue()).collect(Collectors.toList());
            assertThat(values).containsExactlyElementsOf(keys.values());
            // Each key really lives on the master the cluster object reports.
            for (String key : keys.keySet()) {
                ClusterNode owner = cluster.masterFor(SlotHash.getSlot(key));
                assertThat(c.getConnection(owner.nodeId()).sync().get(key)).isEqualTo(keys.get(key));
            }
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void everyNodeAgreesOnAnEvenSlotSplit(EmbeddedRedisCluster cluster) {
        assertThat(cluster.masterFor(0)).isEqualTo(cluster.nodes().get(0));
        assertThat(cluster.masterFor(5461)).isEqualTo(cluster.nodes().get(1));
        assertThat(cluster.masterFor(16383)).isEqualTo(cluster.nodes().get(2));
        assertThat(cluster.nodes()).extracting(ClusterNode::nodeId).allMatch(id -> id.matches("[0-9a-f]{40}"));
        assertThatThrownBy(() -> cluster.masterFor(16384)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void throughDelayProxiesEveryNodeIsAnnouncedAtItsProxyAndAGetPaysTheRoundTrip(
            @Delayed(oneWayMillis = 20) EmbeddedRedisCluster cluster) {
        Set<Integer> clientPorts = cluster.nodes().stream().map(ClusterNode::clientPort).collect(Collectors.toSet());
        RedisClusterClient client = TestClients.cluster(cluster.seedUris(), null);
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            Set<Integer> announced = client.getPartitions().stream().map(RedisClusterNode::getUri)
                    .map(RedisURI::getPort).collect(Collectors.toSet());
            assertThat(announced).isEqualTo(clientPorts);
            assertThat(clientPorts).doesNotContainAnyElementsOf(
                    cluster.nodes().stream().map(ClusterNode::port).collect(Collectors.toSet()));

            Map<String, String> keys = keysOnEveryMaster(cluster, "cluster-test:delayed:");
            c.sync().mset(keys);
            for (String key : keys.keySet()) {
                c.sync().get(key); // warm up the node connection
                long start = System.nanoTime();
                assertThat(c.sync().get(key)).isEqualTo(keys.get(key));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
            }
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aTlsClusterServesClientsThatTrustTheCa(@Tls EmbeddedRedisCluster cluster, TlsMaterial tls) {
        assertThat(cluster.url()).startsWith("rediss-cluster://");
        RedisClusterClient client = TestClients.cluster(cluster.seedUris(), tls.sslOptions());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            Map<String, String> keys = keysOnEveryMaster(cluster, "cluster-test:tls:");
            c.sync().mset(keys);
            assertThat(c.sync().get(keys.keySet().iterator().next())).isEqualTo(keys.values().iterator().next());
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aTlsClusterBehindDelayProxiesAnnouncesTheProxyPorts(@Tls @Delayed(oneWayMillis = 2) EmbeddedRedisCluster cluster,
            TlsMaterial tls) {
        RedisClusterClient client = TestClients.cluster(cluster.seedUris(), tls.sslOptions());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            Set<Integer> announced = client.getPartitions().stream().map(RedisClusterNode::getUri)
                    .map(RedisURI::getPort).collect(Collectors.toSet());
            assertThat(announced).isEqualTo(cluster.nodes().stream().map(ClusterNode::clientPort).collect(Collectors.toSet()));
            Map<String, String> keys = keysOnEveryMaster(cluster, "cluster-test:tls-delayed:");
            assertThat(c.sync().mset(keys)).isEqualTo("OK");
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aFailoverPromotesTheReplicaAndTheClusterKeepsServing(@Fresh @Replicas(1) @Password EmbeddedRedisCluster cluster) {
        assertThat(cluster.nodes()).hasSize(6);
        assertThat(cluster.masters()).hasSize(3);
        ClusterNode replica = cluster.replicas().get(0);
        cluster.failover(replica);
        assertThat(replica.isMaster()).isTrue();
        assertThat(cluster.masters()).hasSize(3).contains(replica);

        RedisClusterClient client = TestClients.cluster(cluster.seedUris(), null);
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            Map<String, String> keys = keysOnEveryMaster(cluster, "cluster-test:failover:");
            assertThat(c.sync().mset(keys)).isEqualTo("OK");
        } finally {
            TestClients.shutdown(client);
        }
    }

    @Test
    void aRestartedNodeRejoinsWithItsNodeId(@Fresh EmbeddedRedisCluster cluster) {
        ClusterNode node = cluster.nodes().get(1);
        String id = node.nodeId();
        node.restart();
        cluster.awaitHealthy(Duration.ofSeconds(20));
        assertThat(node.isMaster()).isTrue();
        assertThat(cluster.masterFor(5461).nodeId()).isEqualTo(id);
    }

    @Test
    void noNodeProcessIsLeftAfterClose() {
        EmbeddedRedisCluster cluster = EmbeddedRedisCluster.builder().masters(1).start();
        List<Long> pids = cluster.nodes().stream().map(ClusterNode::pid).collect(Collectors.toList());
        cluster.close();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }
}
