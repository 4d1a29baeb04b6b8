# The estate of the seed module's README: a shared-services account runs the
# orchestration, production holds the data, staging and dev receive copies.
# Render it with: refreshgen render -c examples/refresh.hcl

refreshgen {
  required_version = ">= 0.1"
  output_dir       = "../out"
}

project "myapp" {
  prefix = "myapp-refresh"
  region = "eu-west-1"
  naming = "kebab"
  # AWS's RDS certificate authorities: run-sql verifies Aurora's TLS certificate
  # against them. Replace the placeholder with the file from
  # https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
  rds_ca_bundle = file("global-bundle.pem")
  tags = {
    Project = "database-refresh"
    Owner   = "platform"
  }
}

account "shared_services" {
  id   = "000000000000"
  role = "orchestrator"
}

account "production" {
  id   = "111111111111"
  role = "source"
}

account "staging" {
  id         = "222222222222"
  role       = "destination"
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"]
}

account "dev" {
  id         = "333333333333"
  role       = "destination"
  vpc_id     = "vpc-0d1e2f3a4b5c60718"
  subnet_ids = ["subnet-0d1e2f3a4b5c60718", "subnet-0e2f3a4b5c6d71829"]
}

# Production data, declared once and referenced by the refreshes.
aurora "app" {
  account     = account.production
  identifier  = "prod-app"
  engine      = "aurora-mysql"
  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}

efs "media" {
  account        = account.production
  file_system_id = "fs-0123456789abcdef0"
  backup_vault   = "prod-vault"
}

eks "staging" {
  account      = account.staging
  cluster_name = "staging-eks"
  nodegroups   = ["workers"]

  access_policy "edit" {
    policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
    namespaces = ["app"]
  }
}

refresh "staging" {
  source      = account.production
  destination = account.staging
  schedule    = "cron(0 3 ? * SUN *)"
  timeout     = "6h"

  database "app" {
    from               = aurora.app
    target_cluster     = "staging-app"
    strategy           = "snapshot"
    instance_class     = "db.r6g.large"
    instances          = 1
    subnet_group       = "staging-db"
    security_group_ids = ["sg-0a1b2c3d4e5f60718"]
    kms_key_arn        = "arn:aws:kms:eu-west-1:222222222222:key/1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d"
    swap               = "rename"
    keep_old           = "stop"
    post_restore_sql   = [file("sql/anonymize.sql")]
    rotate_secrets     = ["arn:aws:secretsmanager:eu-west-1:222222222222:secret:app-user-AbCdEf"]
  }

  filesystem "media" {
    from                  = efs.media
    strategy              = "backup-restore"
    target_file_system_id = "fs-0fedcba9876543210"
    target_backup_vault   = "staging-vault"
    subpath_parameter     = "/myapp/efs/media/subpath"
  }

  eks {
    cluster           = eks.staging
    scale_down_during = true

    volume "media" {
      namespace = "app"
      claim     = "media"
    }
  }

  notify {
    on = ["success", "failure"]
  }
}

refresh "dev" {
  source      = account.production
  destination = account.dev
  timeout     = "4h"

  database "app" {
    from               = aurora.app
    target_cluster     = "dev-app"
    strategy           = "latest-snapshot"
    instance_class     = "db.serverless"
    subnet_group       = "dev-db"
    security_group_ids = ["sg-0d1e2f3a4b5c60718"]
    kms_key_arn        = "arn:aws:kms:eu-west-1:333333333333:key/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
    keep_old           = "delete"
    post_restore_sql   = [file("sql/anonymize.sql")]

    serverless {
      min_capacity = 0.5
      max_capacity = 4
    }
  }

  notify {
    on = ["failure"]
  }
}
