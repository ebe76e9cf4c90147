plugins {
    id("com.android.application")
}

dependencies {
    implementation("com.google.firebase:firebase-messaging:23.4.0")
    implementation("com.squareup.okhttp3:okhttp:4.12.0")
    // implementation("com.stripe:stripe-android:20.0.0")
    implementation(group = "com.algolia", name = "algoliasearch-client-kotlin", version = "3.0.0")
}
