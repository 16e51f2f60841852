package dev.lmcache.redis.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the commands that take a prompt's token ids ({@code keys}, {@code lookup}) share. */
abstract class TokenCommand extends BaseCommand {

    @Spec
    CommandSpec spec;

    @Mixin
    TokenOptions prompt;

    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;
}
