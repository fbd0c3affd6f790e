"""Requirements: what each member of staff owes, kept in step with the organisation.

Stored or derived? Both, split where the evidence lies:

- **Stored** (`training.Requirement`): the obligation itself — this person owes
  this curriculum item for this period, from this day, due on this day. It is
  computed by `services.requirements_sync` (never typed in) from the published
  curricula, the person's role assignments and joining date, and the day. It
  is stored because its history matters and because later work needs stable
  rows: a requirement that lapses when a role ends is kept (with why), a
  material revision re-opens it as a new row with its own due date, and
  reminders and certificates (issue 12) refer to one row rather than to a
  computation that moves under them. Reports read the rows in a fixed number
  of queries.
- **Derived** (`selectors`): whether a requirement is met. The status
  (未着手 / 受講中 / 修了 / 期限超過 / 免除) is read from the append-only
  ledger every time — passes, reading to the end, external attendance,
  waivers and voids — plus open or failed checkpoint attempts for 受講中, and
  whatever a TRAINING_PROGRESS_EVIDENCE hook says (view logging plugs in
  there). Nothing about completion is ever written to a requirement, so a
  void or a material revision changes a status at once, and the figures HR
  sees come from the ledger.

The sync is idempotent and runs on every change to a person's roles (the
`role_assignment_changed` signal), on their profile's changes, when a
curriculum is published or unpublished, and daily (`manage.py
sync_training_requirements`), which is how a new fiscal year re-opens
recurring items. A role counts for requirements from its first day until
the day before its last: someone whose role ends today owes nothing more for
it, and the open items lapse at once (records are kept).
"""
