"""Redis key names, all under one configurable prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str = "kp"

    @property
    def queue(self) -> str:
        return f"{self.prefix}:queue"

    def seen(self, event_key: str) -> str:
        return f"{self.prefix}:seen:{event_key}"

    def outbox(self, platform: str) -> str:
        return f"{self.prefix}:outbox:{platform}"

    @property
    def outbox_dropped(self) -> str:
        return f"{self.prefix}:outbox:dropped"

    @property
    def activity_pending(self) -> str:
        return f"{self.prefix}:activity:pending"

    @property
    def activity_flushing_set(self) -> str:
        """Ids of flushes renamed but not yet finished (a crash leaves them here)."""
        return f"{self.prefix}:activity:flushing"

    def activity_flushing(self, batch_id: str) -> str:
        return f"{self.prefix}:activity:flushing:{batch_id}"

    def sent_replies(self, batch_id: str) -> str:
        """Row ids of a batch's processed events whose replies are in the outbox (set)."""
        return f"{self.prefix}:sent:{batch_id}"

    def activity_applied(self, batch_id: str) -> str:
        return f"{self.prefix}:activity:applied:{batch_id}"

    @property
    def activity_quarantine(self) -> str:
        """Chat-activity entries set aside because they could not be applied (hash)."""
        return f"{self.prefix}:activity:quarantine"

    @property
    def activity_lock(self) -> str:
        return f"{self.prefix}:activity:lock"

    @property
    def known_accounts(self) -> str:
        return f"{self.prefix}:known"

    def heist_answers_applied(self, batch_id: str) -> str:
        """A batch's chat was judged against the running heists (set once per batch)."""
        return f"{self.prefix}:heist:applied:{batch_id}"

    @property
    def heist_prefix(self) -> str:
        """``<prefix>:heist:cand:<id>`` (correct answers, by time received) and
        ``<prefix>:heist:tries:<id>`` (answers per account) hang under it."""
        return f"{self.prefix}:heist:"

    def heist_candidates(self, heist_id: int) -> str:
        return f"{self.heist_prefix}cand:{heist_id}"

    def heist_tries(self, heist_id: int) -> str:
        return f"{self.heist_prefix}tries:{heist_id}"

    @property
    def heist_version(self) -> str:
        """Bumped whenever a heist starts or ends: the chat path re-reads the running ones."""
        return f"{self.prefix}:heist:version"

    @property
    def heist_leases(self) -> str:
        """Heists handed out for resolving, scored by when the lease runs out."""
        return f"{self.prefix}:heist:leases"

    @property
    def heist_due(self) -> str:
        """Heists whose grace window is running, scored by when it ends (sorted set)."""
        return f"{self.prefix}:heist:due"

    @property
    def stats(self) -> str:
        return f"{self.prefix}:stats"

    def reward_titles(self, community: int) -> str:
        """The title of the reward last redeemed for each command (hash), for the answer
        to a typed command while the stream runs on channel points."""
        return f"{self.prefix}:rewards:{community}"

    def ratelimit_namespace(self) -> str:
        return f"{self.prefix}:rl"

    @property
    def cron_queue(self) -> str:
        """The cron jobs' own queue (their time limit is not the batches')."""
        return f"{self.prefix}:cron"

    def arq(self, kind: str) -> str:
        """Where arq keeps its own keys (job, in-progress, result, retry, abort)."""
        return f"{self.prefix}:arq:{kind}"

    def arq_result(self, job_id: str) -> str:
        return self.arq("result:") + job_id


# arq's own key names, by the module-level constant each arq module reads when it runs
_ARQ_KEYS = {"job_key_prefix": "job:", "in_progress_key_prefix": "in-progress:",
             "result_key_prefix": "result:", "retry_key_prefix": "retry:",
             "abort_jobs_ss": "abort"}


def install_arq_prefix(keys: Keys) -> None:
    """Put arq's own keys under the deployment's prefix, so deployments sharing a Redis do
    not collide (arq 0.28 hard-codes ``arq:job:`` etc. and has no setting for it).

    arq reads these names from its modules' globals at call time, so they are set there.
    That is per process: a process serves one deployment (every entry point connects
    through ``kingpin.bus.connect_redis``, which calls this)."""
    import arq.connections
    import arq.constants
    import arq.jobs
    import arq.worker

    for module in (arq.constants, arq.connections, arq.jobs, arq.worker):
        for name, kind in _ARQ_KEYS.items():
            if hasattr(module, name):
                setattr(module, name, keys.arq(kind))
