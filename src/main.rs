fn main() {
    thidua::start();
}
