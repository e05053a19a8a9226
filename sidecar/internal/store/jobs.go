package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Job types users see.
const (
	JobSyncProducts = "SYNC_WOOCOMMERCE_PRODUCTS"
	JobSyncStock    = "SYNC_WOOCOMMERCE_STOCK"
	JobSyncOrders   = "SYNC_WOOCOMMERCE_ORDERS"
)

// Job states.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobSucceeded = "succeeded"
	JobFailed    = "failed"
)

// Progress counts the units a job handled out of those it knows about.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Job is one run of a sync job.
type Job struct {
	ID         string     `json:"id"`
	Seq        uint64     `json:"-"`
	Type       string     `json:"type"`
	State      string     `json:"state"`
	Progress   Progress   `json:"progress"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Error      string     `json:"error"`
	// Since is where SYNC_WOOCOMMERCE_ORDERS starts: orders created after it.
	Since *time.Time `json:"since,omitempty"`
}

// Active reports whether the job is queued or running.
func (j Job) Active() bool { return j.State == JobQueued || j.State == JobRunning }

// JobID renders a job sequence as its public id.
func JobID(seq uint64) string { return fmt.Sprintf("job_%015d", seq) }

// ParseJobID is the inverse of JobID.
func ParseJobID(id string) (uint64, bool) {
	var seq uint64
	if _, err := fmt.Sscanf(id, "job_%d", &seq); err != nil || JobID(seq) != id {
		return 0, false
	}
	return seq, true
}

// CreateJob queues a job of typ, unless one of that type is already queued or
// running: then it returns that one and created=false.
func (s *Store) CreateJob(typ string) (job Job, created bool, err error) {
	return s.createJob(typ, nil)
}

// CreateJobSince is CreateJob for a job that starts at a date
// (SYNC_WOOCOMMERCE_ORDERS). A job of that type already active is returned
// as it is, with its own date.
func (s *Store) CreateJobSince(typ string, since time.Time) (job Job, created bool, err error) {
	since = since.UTC()
	return s.createJob(typ, &since)
}

func (s *Store) createJob(typ string, since *time.Time) (job Job, created bool, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs)
		if active, ok, err := latestJobTx(b, typ); err != nil {
			return err
		} else if ok && active.Active() {
			job = active
			return nil
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		job = Job{ID: JobID(seq), Seq: seq, Type: typ, State: JobQueued, CreatedAt: s.now().UTC(), Since: since}
		created = true
		return putJobTx(b, job)
	})
	if err != nil {
		return job, false, fmt.Errorf("store.CreateJob: %w", err)
	}
	return job, created, nil
}

// PutJob saves a job's new state.
func (s *Store) PutJob(job Job) error {
	if err := s.db.Update(func(tx *bolt.Tx) error { return putJobTx(tx.Bucket(bucketJobs), job) }); err != nil {
		return fmt.Errorf("store.PutJob: %w", err)
	}
	return nil
}

// GetJob reads a job by id.
func (s *Store) GetJob(id string) (Job, bool, error) {
	seq, ok := ParseJobID(id)
	if !ok {
		return Job{}, false, nil
	}
	var (
		job   Job
		found bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketJobs).Get(u64(seq))
		if v == nil {
			return nil
		}
		found = true
		return decodeJob(seq, v, &job)
	})
	return job, found, err
}

// LatestJobs returns the newest job of each type.
func (s *Store) LatestJobs() (map[string]Job, error) {
	out := map[string]Job{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketJobs).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var j Job
			if err := decodeJob(fromU64(k), v, &j); err != nil {
				return err
			}
			if _, seen := out[j.Type]; !seen {
				out[j.Type] = j
			}
			if len(out) == 2 {
				break
			}
		}
		return nil
	})
	return out, err
}

// ActiveJobs returns jobs left queued or running (after a crash, to resume them).
func (s *Store) ActiveJobs() ([]Job, error) {
	latest, err := s.LatestJobs()
	if err != nil {
		return nil, err
	}
	var out []Job
	for _, j := range latest {
		if j.Active() {
			out = append(out, j)
		}
	}
	return out, nil
}

func latestJobTx(b *bolt.Bucket, typ string) (Job, bool, error) {
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var j Job
		if err := decodeJob(fromU64(k), v, &j); err != nil {
			return j, false, err
		}
		if j.Type == typ {
			return j, true, nil
		}
	}
	return Job{}, false, nil
}

func putJobTx(b *bolt.Bucket, job Job) error {
	v, err := json.Marshal(job)
	if err != nil {
		return err
	}
	return b.Put(u64(job.Seq), v)
}

func decodeJob(seq uint64, v []byte, j *Job) error {
	if err := json.Unmarshal(v, j); err != nil {
		return fmt.Errorf("job %d: %w", seq, err)
	}
	j.Seq = seq
	return nil
}
