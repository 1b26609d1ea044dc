/**
 * The shard format: Parquet files of image rows ({@link org.mixbt.core.shard.ShardSchema}) plus a JSON
 * manifest ({@link org.mixbt.core.shard.ShardManifest}), stored and verified through Hadoop's
 * FileSystem ({@link org.mixbt.core.shard.ShardStore}).
 */
package org.mixbt.core.shard;
