"""What every safety area shares: where uploaded files go."""
from logistics.files import random_upload_path


def inspection_photo_path(instance, filename):
    return random_upload_path("safety/inspections", filename)


def plan_document_path(instance, filename):
    return random_upload_path("safety/plans", filename)


def drill_photo_path(instance, filename):
    return random_upload_path("safety/drills", filename)


def vehicle_document_path(instance, filename):
    return random_upload_path("safety/vehicles", filename)


def pledge_scan_path(instance, filename):
    return random_upload_path("safety/pledges", filename)
