# The audit log is not in the Django admin: 三员分立 keeps it from the system administrator. The
# security auditor reads it on the staff page /staff/audit/ (gongkai.audit.views); nobody edits or
# deletes it (and on PostgreSQL the database refuses to: migration 0003).
