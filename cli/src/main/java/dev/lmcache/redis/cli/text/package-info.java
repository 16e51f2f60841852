/**
 * Output for people and programs: numbers and sizes ({@link dev.lmcache.redis.cli.text.Human}),
 * tables, JSON, PNG charts, check marks, chunk headers, and the text of a failure
 * ({@link dev.lmcache.redis.cli.text.Failures}). Internal to the tool.
 */
package dev.lmcache.redis.cli.text;
