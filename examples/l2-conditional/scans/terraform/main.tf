# The Acme CUI Enclave on AWS: the CUI backup buckets and the audit trail (fictional; scanned by Checkov).

resource "aws_kms_key" "backups" {
  description         = "FIPS 140-3 validated key for CUI backups"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "cui_backups" {
  bucket = "acme-cui-backups"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "cui_backups" {
  bucket = aws_s3_bucket.cui_backups.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.backups.arn
    }
  }
}

resource "aws_s3_bucket" "cui_backups_dr" {
  bucket = "acme-cui-backups-dr"
}

resource "aws_sns_topic" "audit_alerts" {
  name              = "acme-audit-alerts"
  kms_master_key_id = aws_kms_key.backups.arn
}

resource "aws_cloudtrail" "audit" {
  name                          = "acme-audit"
  s3_bucket_name                = aws_s3_bucket.cui_backups.id
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.backups.arn
  sns_topic_name                = aws_sns_topic.audit_alerts.name
}
