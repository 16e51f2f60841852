package dev.lmcache.redis.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One node's view of the cluster, parsed from the output of CLUSTER NODES. */
final class ClusterView {

    /** One line of CLUSTER NODES. */
    record Entry(String id, String address, List<String> flags, String masterId, List<int[]> slots) {
        boolean isMaster() {
            return flags.contains("master");
        }

        boolean isMyself() {
            return flags.contains("myself");
        }

        boolean inHandshake() {
            return flags.contains("handshake") || flags.contains("noaddr");
        }

        boolean owns(int slot) {
            for (int[] range : slots) {
                if (slot >= range[0] && slot <= range[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Entry> entries;

    private ClusterView(List<Entry> entries) {
        this.entries = entries;
    }

    static ClusterView parse(String clusterNodes) {
        List<Entry> entries = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ");
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < parts.length; i++) {
                String s = parts[i];
                if (s.startsWith("[")) {
                    continue; // importing/migrating marker, not ownership
                }
                int dash = s.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1));
                slots.add(new int[] {from, to});
            }
            entries.add(new Entry(parts[0], parts[1], List.of(parts[2].split(",")), parts[3], slots));
        }
        return new ClusterView(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    Optional<Entry> myself() {
        return entries.stream().filter(Entry::isMyself).findFirst();
    }

    Optional<Entry> byId(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    Optional<Entry> ownerOf(int slot) {
        return entries.stream().filter(e -> e.isMaster() && e.owns(slot)).findFirst();
    }

    /**
     * A canonical description of who owns which slots and which node replicates which, to compare
     * views of different nodes; failure flags are left out because they legitimately differ.
     */
    String topologySignature() {
        Map<String, String> sorted = new TreeMap<>();
        for (Entry e : entries) {
            StringBuilder sb = new StringBuilder();
            if (e.isMaster()) {
                for (int[] r : e.slots()) {
                    sb.append(r[0]).append('-').append(r[1]).append(' ');
                }
            } else {
                sb.append("replica-of ").append(e.masterId());
            }
            sorted.put(e.id(), sb.toString().trim());
        }
        return sorted.toString();
    }
}
