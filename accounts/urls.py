from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("otp/verify/", views.OTPVerifyView.as_view(), name="otp-verify"),
    path("otp/setup/", views.OTPSetupView.as_view(), name="otp-setup"),
    path("lockouts/", views.LockoutListView.as_view(), name="lockout-list"),
    path("sessions/", views.SessionListView.as_view(), name="session-list"),
]
