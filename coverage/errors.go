package coverage

import "errors"

// The errors of a run or scenario that lacks something a user gives, for
// a caller to say how to give it (errors.Is).
var (
	// ErrNoDate is returned when the config sets neither date nor dates.
	ErrNoDate = errors.New("no analysis date")
	// ErrNoCategory is returned when no service category is given.
	ErrNoCategory = errors.New("no service category")
	// ErrNoClosure is returned by Closures given no point to close.
	ErrNoClosure = errors.New("no point to close")
	// ErrPartitionShard is returned for a shard asked to partition its
	// cells: the merge of the shards is partitioned instead.
	ErrPartitionShard = errors.New("partition the merge of the shards, not a shard")
	// ErrNoRecordedConfig is returned by Closures for a run folder whose
	// manifest records no configuration (a run without the impact).
	ErrNoRecordedConfig = errors.New("no recorded configuration")
)
