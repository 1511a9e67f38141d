# The demo's settings, in one place: bin/demo exports them before running the suite, and
# `bin/demo env` prints them for `eval "$(bin/demo env)"` (a shell with the demo's environment).
# Needs PGPORT, and SMTP_PORT for the mail settings (both change from run to run).
DEMO_VARIABLES=(DATABASE_URL LOG_DIR STATUS_COLLECTION_SITES_DIR STATUS_COLLECTION_PER_HOST_DELAY_MS OUTPUT_DIR
                INVOICE_ISSUER_NAME INVOICE_ISSUER_ADDRESS INVOICE_ISSUER_REGISTRATION_NUMBER
                SMTP_URL SMTP_STARTTLS SMTP_FROM SMTP_FROM_NAME BACKUP_DIR)
demo_environment() {
    export DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/nightshift"
    export LOG_DIR="$VAR/demo-logs"
    export STATUS_COLLECTION_SITES_DIR="$ROOT/templates/sites"
    export STATUS_COLLECTION_PER_HOST_DELAY_MS=50
    export OUTPUT_DIR="$VAR/demo-output"
    export INVOICE_ISSUER_NAME="株式会社ナイトシフト" INVOICE_ISSUER_ADDRESS="東京都渋谷区神南1-2-3 ナイトシフトビル5F"
    export INVOICE_ISSUER_REGISTRATION_NUMBER=T9234567890123
    export SMTP_URL="smtp://127.0.0.1:${SMTP_PORT:-25}" SMTP_STARTTLS=off SMTP_FROM=billing@nightshift.example SMTP_FROM_NAME="ナイトシフト 請求担当"
    export BACKUP_DIR="$VAR/demo-backups"
}
