"""newsfuse at production scale: the digest on Apache Spark (`newsfuse.scale.spark`,
extra `scale`), with blocking (`newsfuse.scale.blocking`) and input parsing
(`newsfuse.scale.records`) in plain Python so they run in Spark's partitions and
in tests alike. Nothing here imports pyspark at import time."""
