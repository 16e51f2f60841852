/**
 * The {@code lmcache-redis} command-line tool: its commands (one class each, thin shells over
 * the engines in the sub-packages), their bases ({@code BaseCommand}, {@code StoreCommand},
 * {@code ChunkCommand}, ...), the mixins and option types they share, and the one failure handler
 * set in {@link dev.lmcache.redis.cli.Main#commandLine()}. Internal to the tool: the supported
 * interface is the command line, its output and its exit codes.
 *
 * <ul>
 *   <li>{@code cli.target}: where a command works (URL, config file, embedded servers) and plain
 *       connections to every node;</li>
 *   <li>{@code cli.check}: the seven connector checks;</li>
 *   <li>{@code cli.inspect}: what is stored, orphans and TTLs;</li>
 *   <li>{@code cli.acl}: the tenant ACL rule;</li>
 *   <li>{@code cli.bench}: the measurements and the demo;</li>
 *   <li>{@code cli.text}: text, JSON and chart output, and failure text.</li>
 * </ul>
 */
package dev.lmcache.redis.cli;
