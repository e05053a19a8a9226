package syncer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// progressPoll is how often RunJob reports the progress of a job another
// goroutine runs.
const progressPoll = 250 * time.Millisecond

func validJobType(typ string) error {
	if !slices.Contains(jobTypes, typ) {
		return fmt.Errorf("syncer: %w %q (known: %v)", ErrUnknownJobType, typ, jobTypes)
	}
	return nil
}

// StartJob queues a job (POST /v1/jobs) for the started engine's runner. A
// job of that type already queued or running is returned instead of a new
// one.
func (e *Engine) StartJob(ctx context.Context, typ string) (store.Job, error) {
	return e.startJob(ctx, typ, func() (store.Job, bool, error) { return e.store.CreateJob(typ) })
}

// StartJobSince is StartJob for a job with a start date
// (SYNC_WOOCOMMERCE_ORDERS: orders created after since).
func (e *Engine) StartJobSince(ctx context.Context, typ string, since time.Time) (store.Job, error) {
	return e.startJob(ctx, typ, func() (store.Job, bool, error) { return e.store.CreateJobSince(typ, since) })
}

func (e *Engine) startJob(ctx context.Context, typ string, create func() (store.Job, bool, error)) (store.Job, error) {
	if err := validJobType(typ); err != nil {
		return store.Job{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.Job{}, err
	}
	job, created, err := create()
	if err != nil {
		return store.Job{}, fmt.Errorf("syncer: start job: %w", err)
	}
	if created {
		e.log.Info("syncer: job queued", "job", job.ID, "type", typ)
	}
	select {
	case e.jobKick <- struct{}{}:
	default:
	}
	return job, nil
}

// RunJob runs a job of typ to its end in the caller's goroutine (the CLI's
// `sync products`, the demo's progress bar) and returns it finished. When a
// job of that type is already running elsewhere, RunJob follows it instead.
// progress, when not nil, is called as the job advances.
func (e *Engine) RunJob(ctx context.Context, typ string, progress func(store.Job)) (store.Job, error) {
	return e.runJob(ctx, typ, func() (store.Job, bool, error) { return e.store.CreateJob(typ) }, progress)
}

// RunJobSince is RunJob for a job with a start date (SYNC_WOOCOMMERCE_ORDERS).
func (e *Engine) RunJobSince(ctx context.Context, typ string, since time.Time, progress func(store.Job)) (store.Job, error) {
	return e.runJob(ctx, typ, func() (store.Job, bool, error) { return e.store.CreateJobSince(typ, since) }, progress)
}

func (e *Engine) runJob(ctx context.Context, typ string, create func() (store.Job, bool, error), progress func(store.Job)) (store.Job, error) {
	if err := validJobType(typ); err != nil {
		return store.Job{}, err
	}
	job, _, err := create()
	if err != nil {
		return store.Job{}, fmt.Errorf("syncer: run job: %w", err)
	}
	lock := e.jobLocks[typ]
	for {
		select {
		case lock <- struct{}{}:
			defer func() { <-lock }()
			return e.execLocked(ctx, job.ID, progress)
		case <-ctx.Done():
			return job, ctx.Err()
		case <-e.after(progressPoll):
			cur, ok, err := e.store.GetJob(job.ID)
			if err != nil || !ok {
				return job, fmt.Errorf("syncer: follow job %s: %w", job.ID, errors.Join(err, errNoJob(ok)))
			}
			if progress != nil {
				progress(cur)
			}
			if !cur.Active() {
				return cur, jobErr(cur)
			}
		}
	}
}

func errNoJob(found bool) error {
	if found {
		return nil
	}
	return errors.New("job vanished")
}

func jobErr(j store.Job) error {
	if j.State == store.JobFailed {
		return fmt.Errorf("syncer: %s %s failed: %s", j.Type, j.ID, j.Error)
	}
	return nil
}

// jobLoop runs queued jobs, and at start resumes jobs a crash left active.
func (e *Engine) jobLoop(ctx context.Context) {
	for ctx.Err() == nil {
		jobs, err := e.store.ActiveJobs()
		if err != nil {
			e.log.Error("syncer: read active jobs", "err", err)
		}
		slices.SortFunc(jobs, func(a, b store.Job) int { return cmp.Compare(a.Seq, b.Seq) })
		for _, j := range jobs {
			if !slices.Contains(jobTypes, j.Type) {
				continue
			}
			lock := e.jobLocks[j.Type]
			select {
			case lock <- struct{}{}:
			case <-ctx.Done():
				return
			}
			_, err := e.execLocked(ctx, j.ID, nil)
			<-lock
			if err != nil && ctx.Err() == nil {
				e.log.Warn("syncer: job failed", "job", j.ID, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-e.jobKick:
		}
	}
}

// execLocked runs job id (its type's lock held) unless it already ended.
// An interrupted job (ctx ended) stays running in the store, to be resumed.
func (e *Engine) execLocked(ctx context.Context, id string, progress func(store.Job)) (store.Job, error) {
	job, ok, err := e.store.GetJob(id)
	if err != nil || !ok {
		return job, fmt.Errorf("syncer: job %s: %w", id, errors.Join(err, errNoJob(ok)))
	}
	if !job.Active() {
		return job, jobErr(job)
	}
	resumed := job.State == store.JobRunning
	now := e.now().UTC()
	job.State = store.JobRunning
	if job.StartedAt == nil {
		job.StartedAt = &now
	}
	if err := e.store.PutJob(job); err != nil {
		return job, err
	}
	if resumed {
		e.activity("info", fmt.Sprintf("%s: resuming %s after a restart", job.Type, job.ID))
	} else {
		e.activity("info", fmt.Sprintf("%s: started (%s)", job.Type, job.ID))
	}
	report := func(j store.Job) {
		if err := e.store.PutJob(j); err != nil {
			e.log.Warn("syncer: save job progress", "job", j.ID, "err", err)
		}
		if progress != nil {
			progress(j)
		}
	}
	var runErr error
	switch job.Type {
	case store.JobSyncStock:
		runErr = e.syncStock(ctx, &job, report)
	case store.JobSyncOrders:
		runErr = e.syncOrders(ctx, &job, report)
	default:
		runErr = e.syncProducts(ctx, &job, report)
	}
	if ctx.Err() != nil {
		e.log.Info("syncer: job interrupted; it resumes at next start", "job", job.ID)
		return job, ctx.Err()
	}
	end := e.now().UTC()
	job.FinishedAt = &end
	if runErr != nil {
		job.State, job.Error = store.JobFailed, runErr.Error()
		e.activity("error", fmt.Sprintf("%s failed: %v", job.Type, runErr))
	} else {
		job.State, job.Error = store.JobSucceeded, ""
	}
	report(job)
	return job, runErr
}
