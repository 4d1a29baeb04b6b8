# Every feature of the language at once: what the artifact validators
# (asl-check, iam-check, terraform validate) and the IAM proofs run on
# besides the example.
refreshgen {
  required_version = ">= 0.1"
}

project "acme" {
  prefix              = "acme-copy"
  region              = "us-east-2"
  naming              = "pascal"
  lambda_architecture = "x86_64"
  organization_id     = "o-a1b2c3d4e5"
  managed_tag         = { "acme:refresh" = "managed" }
  rds_ca_bundle       = file("ca.pem")
  prefixes = {
    snapshot = "acme-snap"
  }
  tags = {
    CostCenter = "platform"
  }
}

account "ops" {
  id   = "000000000000"
  role = "orchestrator"
}

account "prod" {
  id                 = "111111111111"
  role               = "source"
  external_id        = "acme-refresh-2026"
  trusted_principals = ["arn:aws:iam::111111111111:role/BreakGlass"]
}

account "qa" {
  id                 = "222222222222"
  role               = "destination"
  vpc_id             = "vpc-0a1b2c3d4e5f60718"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"]
  security_group_ids = ["sg-0c0d0e0f1a2b3c4d5"]
  existing_role_name = "AcmeRefreshTarget"
}

aurora "orders" {
  account     = account.prod
  identifier  = "prod-orders"
  engine      = "aurora-postgresql"
  kms_key_arn = "arn:aws:kms:us-east-2:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}

aurora "catalog" {
  account     = account.prod
  identifier  = "prod-catalog"
  engine      = "aurora-mysql"
  kms_key_arn = "arn:aws:kms:us-east-2:111111111111:key/1e2d3c4b-5a69-4878-96a5-b4c3d2e1f0a1"
}

efs "uploads" {
  account        = account.prod
  file_system_id = "fs-0123456789abcdef0"
  backup_vault   = "prod-vault"
}

efs "reports" {
  account        = account.prod
  file_system_id = "fs-0aaaabbbbccccdddd"
}

eks "qa" {
  account      = account.qa
  cluster_name = "qa-eks"
  nodegroups   = ["web", "workers"]

  access_policy "view" {
    policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
  }
  access_policy "edit" {
    policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
    namespaces = ["shop", "reports"]
  }
}

refresh "qa" {
  source            = account.prod
  destination       = account.qa
  schedule          = "cron(30 2 ? * MON-FRI *)"
  schedule_timezone = "America/Chicago"
  timeout           = "12h"

  database "orders" {
    from                    = aurora.orders
    target_cluster          = "qa-orders"
    strategy                = "clone"
    instance_class          = "db.r6g.large"
    instances               = 2
    subnet_group            = "qa-db"
    security_group_ids      = ["sg-0a1b2c3d4e5f60718"]
    kms_key_arn             = "arn:aws:kms:us-east-2:222222222222:key/1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d"
    cluster_parameter_group = "qa-orders-cluster"
    parameter_group         = "qa-orders-instance"
    swap                    = "rename"
    keep_old                = "keep"
    post_restore_sql        = [file("sql/mask.sql"), "UPDATE settings SET value = 'qa' WHERE name = 'environment';"]
    sql_mode                = "transaction"
    sql_database            = "orders"
    rotate_secrets          = ["arn:aws:secretsmanager:us-east-2:222222222222:secret:orders-app-AbCdEf"]
  }

  database "catalog" {
    from               = aurora.catalog
    target_cluster     = "qa-catalog"
    strategy           = "snapshot"
    instance_class     = "db.serverless"
    subnet_group       = "qa-db"
    security_group_ids = ["sg-0a1b2c3d4e5f60718"]
    kms_key_arn        = "arn:aws:kms:us-east-2:222222222222:key/1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d"
    swap               = "delete-first"
    final_snapshot     = false

    serverless {
      min_capacity = 0.5
      max_capacity = 8
    }
  }

  filesystem "uploads" {
    from                  = efs.uploads
    strategy              = "backup-restore"
    target_file_system_id = "fs-0fedcba9876543210"
    target_backup_vault   = "qa-vault"
    subpath_parameter     = "/acme/qa/uploads-subpath"
  }

  filesystem "reports" {
    from                  = efs.reports
    strategy              = "replication"
    target_file_system_id = "fs-0eeeeffff00001111"
  }

  eks {
    cluster           = eks.qa
    scale_down_during = true

    volume "uploads" {
      namespace = "shop"
      claim     = "uploads"
    }
    volume "reports" {
      namespace = "reports"
      claim     = "reports-data"
    }
  }

  notify {
    sns_topic_arn = "arn:aws:sns:us-east-2:000000000000:platform-alerts"
    on            = ["failure"]
  }
}
