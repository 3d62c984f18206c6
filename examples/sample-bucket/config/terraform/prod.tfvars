# prod.tfvars (credentials move to SSM in SEC-311; delete them from here)
aws_region     = "us-east-1"
aws_access_key = "AKIAIOSFODNN7EXAMPLE"
aws_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
alarm_email    = "ops-alerts@example.com"
vpc_cidr       = "10.20.0.0/16"
ami_id         = "ami-0abcdef1234567890"
db_instance    = "db.r6g.large"
kms_key_id     = "1234abcd-12ab-34cd-56ef-1234567890ab"
