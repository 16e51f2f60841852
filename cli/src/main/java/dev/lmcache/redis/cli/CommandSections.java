package dev.lmcache.redis.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * The command list of {@code lmcache-redis --help} in sections by what a newcomer wants to do
 * (try it, move chunks, token lookups, operate, measure). A command in no section is listed under "Other", so
 * a new command is never missing from the help.
 */
final class CommandSections implements IHelpSectionRenderer {
    private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("Try", List.of("demo", "check", "server"));
        SECTIONS.put("Chunks", List.of("put", "get", "exists", "delete"));
        SECTIONS.put("Tokens", List.of("keys", "lookup"));
        SECTIONS.put("Operate", List.of("inspect", "acl", "edge"));
        SECTIONS.put("Measure", List.of("bench"));
    }

    @Override
    public String render(Help help) {
        Map<String, Help> all = help.subcommands();
        if (all.isEmpty()) {
            return "";
        }
        Map<String, Help> rest = new LinkedHashMap<>(all);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> section : SECTIONS.entrySet()) {
            Map<String, Help> listed = new LinkedHashMap<>();
            for (String name : section.getValue()) {
                if (all.containsKey(name)) {
                    listed.put(name, all.get(name));
                    rest.remove(name);
                }
            }
            append(sb, section.getKey(), help, listed);
        }
        append(sb, "Other", help, rest);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String heading, Help help, Map<String, Help> commands) {
        if (!commands.isEmpty()) {
            sb.append(heading).append(":\n").append(help.commandList(commands));
        }
    }

    /** The sections' command names, in order, for tests. */
    static List<String> listed() {
        List<String> names = new ArrayList<>();
        SECTIONS.values().forEach(names::addAll);
        return names;
    }
}
