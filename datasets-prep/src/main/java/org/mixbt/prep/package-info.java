/**
 * Dataset preparation: publisher files → {@link org.mixbt.prep.ImageSource} → validated image records →
 * {@link org.mixbt.prep.SparkShardWriter} → Parquet shards + manifest. Entry point {@link org.mixbt.prep.PrepJob}.
 */
package org.mixbt.prep;
