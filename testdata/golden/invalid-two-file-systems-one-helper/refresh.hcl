project "shop" {
  prefix = "shop-refresh"
  region = "eu-west-1"
  rds_ca_bundle = file("ca.pem")
}

account "ops" {
  id   = "000000000000"
  role = "orchestrator"
}

account "prod" {
  id   = "111111111111"
  role = "source"
}

account "stage" {
  id         = "222222222222"
  role       = "destination"
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718"]
}

aurora "orders" {
  account     = account.prod
  identifier  = "prod-orders"
  engine      = "aurora-postgresql"
  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}

efs "uploads" {
  account        = account.prod
  file_system_id = "fs-0123456789abcdef0"
  backup_vault   = "prod-vault"
}

efs "reports" {
  account        = account.prod
  file_system_id = "fs-0aaaabbbbccccdddd"
  backup_vault   = "prod-vault"
}

refresh "stage" {
  source      = account.prod
  destination = account.stage

  database "orders" {
    from               = aurora.orders
    target_cluster     = "stage-orders"
    instance_class     = "db.r6g.large"
    subnet_group       = "stage-db"
    security_group_ids = ["sg-0a1b2c3d4e5f60718"]
    kms_key_arn        = "arn:aws:kms:eu-west-1:222222222222:key/1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d"
    post_restore_sql   = [file("sql/mask.sql")]
  }

  filesystem "uploads" {
    from                  = efs.uploads
    target_file_system_id = "fs-0fedcba9876543210"
    target_backup_vault   = "stage-vault"
    subpath_parameter     = "/shop/uploads/subpath"
  }

  filesystem "reports" {
    from                  = efs.reports
    target_file_system_id = "fs-0eeeeffff00001111"
    target_backup_vault   = "stage-vault"
    subpath_parameter     = "/shop/reports/subpath"
  }
}
