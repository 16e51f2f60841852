package dev.lmcache.redis.config;

import dev.lmcache.redis.ConfigException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The only class that touches SnakeYAML, so that the library loads without it; callers go
 * through {@link ConfigValues#parseYaml(String, String)}, which checks it is present first.
 */
final class YamlSupport {
    private YamlSupport() {
    }

    /**
     * Parses YAML (or JSON, which SnakeYAML reads as YAML) into maps, lists and scalars. Errors
     * name the source and position but never quote the text: it may hold a password.
     */
    static Object parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try {
            return yaml.load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new ConfigException(source + " is not valid YAML/JSON" + where + ": " + e.getProblem()
                    + "; accepted: a YAML mapping (JSON object) of LMCache settings");
        } catch (YAMLException e) {
            throw new ConfigException(source + " is not valid YAML/JSON (" + e.getClass().getSimpleName()
                    + "); accepted: a YAML mapping (JSON object) of LMCache settings");
        }
    }
}
